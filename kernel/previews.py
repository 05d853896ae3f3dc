"""Files the browser shows inline: PDF and image evidence, blank ballots.

The site-wide Content-Security-Policy (settings.py) forbids plugins with `object-src 'none'`;
Chromium draws a PDF through an embedded viewer that this would block, so a response that
previews a document of ours allows objects from our own origin, and nothing else changes.
"""

from csp.decorators import csp_replace

inline_document = csp_replace({"object-src": ["'self'"]})
