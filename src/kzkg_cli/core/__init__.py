"""The core every layer stands on: errors, the model and its field specs, dates, text keys."""
