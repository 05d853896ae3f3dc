"""The appraisal pages: the rounds, the explanation round, the council, the results API."""
