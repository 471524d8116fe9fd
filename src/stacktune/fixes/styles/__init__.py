"""One module per migration style: each renders a plan as the new files that style expects."""
