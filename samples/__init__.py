"""The sample programs (*.cg) and homework files, shipped inside the package as
`cgraph_cli.samples` (pyproject maps this folder there), so `cgraph examples` and
`--example NAME` work from any folder. There is no code here."""
