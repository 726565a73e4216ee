"""The county's units tree (townships, departments and every registry below them) and its staff, and who
may change what in it (access). Every other feature hangs on this tree."""
