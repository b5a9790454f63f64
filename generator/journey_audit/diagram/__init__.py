"""The journey diagram: DOT source and rendering it with Graphviz."""
