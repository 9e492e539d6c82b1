"""File formats, in one home: the JSON node-link format, touchpoint tables (CSV/XLSX), and exports
(HTML, Mermaid, PNG/SVG/PDF of the journey map, the one-page summary)."""
