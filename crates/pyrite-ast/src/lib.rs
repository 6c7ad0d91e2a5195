//! CPython 3.12's abstract syntax tree (placeholder: being written).
