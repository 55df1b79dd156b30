"""Loading raw worlds into the warehouse's ``raw`` schema, and the checks that run
before it (``loader.contract``)."""
