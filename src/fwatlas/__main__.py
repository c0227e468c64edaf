from fwatlas.cli import main

main()
