"""QR-code flyers: window posters, hand-out card sheets and school take-home slips for the outreach registries'
locations, as PDF or pictures, with a print log."""
