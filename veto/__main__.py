from veto.cli import main

raise SystemExit(main())
