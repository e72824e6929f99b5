"""Importers and exporters: they read and write files and return rows and errors, never touch HTTP."""
