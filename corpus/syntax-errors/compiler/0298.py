type A = (await 3)
