"""Scans (issue 18): QR codes that lead to this app's landing route, a personal code for every employee
(一人一码) beside the locations' codes (一点一码), and scans counted per code × day × platform without any
personal data, read beside the self-reported installs."""
