"""Read a fact file, validate it against the model, verify its quotes; the JSON Schema."""
