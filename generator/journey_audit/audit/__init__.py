"""The audit file: its model, reading YAML with positions, validation, the portfolio, schema, template and formatter."""
