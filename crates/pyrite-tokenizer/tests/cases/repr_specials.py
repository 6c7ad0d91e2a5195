x = '\xa0\u200b\u2028' #   nbsp ​ zwsp  del
y = ' ' '' '퟿'
z = '😀 ́ ￾ 󠀁 􏿿 𰀀'
