"""The command line: ``mentorforms`` and its subcommands, each a thin call into the layers below."""
