"""What ``verify-site`` looks for in a built site and how it reads the site's files.

:mod:`.targets`: the needles, from the portfolio (other clients, drafts, internal
notes); :mod:`.allow`: the consultant's allow-list of intentional mentions;
:mod:`.decode`: every text a file holds, its kind told by its content.
"""
