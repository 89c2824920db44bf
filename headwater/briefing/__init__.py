"""The daily briefing (疫情防控日报): generated, versioned, rendered, distributed."""
