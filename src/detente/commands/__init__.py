"""One module per `detente` command: `add_arguments(parser)` and `run(args) -> int`."""
