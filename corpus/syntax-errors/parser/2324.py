async
#comment
await