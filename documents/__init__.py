"""PDF documents of the portal (WeasyPrint): see documents.py for what is printed, rendering.py for how."""

import logging

# fontTools logs every WOFF2 font it decompresses, and WeasyPrint every rendering step (already when it is imported),
# at INFO: several lines per PDF of noise in the portal's INFO log. Their warnings (a refused image, an unsupported CSS
# rule) still show. Set here, before any submodule imports WeasyPrint.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
