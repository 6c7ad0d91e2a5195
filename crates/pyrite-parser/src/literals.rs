//! String and number literals (being written).
