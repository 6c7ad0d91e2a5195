: listing directory
