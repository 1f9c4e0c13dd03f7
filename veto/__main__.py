from veto.cli import main

main()
