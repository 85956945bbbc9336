"""kzkg: answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base."""

__version__ = "0.5.0"
