import sys

from shaderlab.cli import main

sys.exit(main())
