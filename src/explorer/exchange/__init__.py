"""File formats in and out of a project: other tools' timelines read into batches, Explorer's
own exports (JSON, CSV, TimelineJS, the HTML report) and the notes file colleagues exchange.
Above the store (which holds the data), below the model (which runs the use cases)."""
