"""Open data exports of projects and money flows: IATI 2.03 XML, HXL-tagged CSV, CSV and XLSX.

Pure modules over the plain data in ``model``; the Django side builds that data and serves the
bytes. Everything exported is public: see docs/opendata.md.
"""
