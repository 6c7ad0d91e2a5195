>> Multi line note
>> Because I am such
>> an important exception.
>> empty lines work too

(that was an empty line)