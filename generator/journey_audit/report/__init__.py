"""The deliverables handed to a client: a PDF report and a slide deck per audit.

Ranked with :mod:`journey_audit.site`: both are made from the same public copy of an
audit the site shows (:func:`journey_audit.site.publish.published`), the PDF from the
audit page's own HTML sections, the deck from the same figures and labels.
"""
