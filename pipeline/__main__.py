"""``python -m pipeline`` is the ``clean-slides`` command."""

from pipeline.cli import main

if __name__ == "__main__":
    main()
