"""Dialogs: one module per dialog; modal ones offer a classmethod ``ask(parent, ...)``."""
