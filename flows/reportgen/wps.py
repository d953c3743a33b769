"""Make a DOCX carry the custom property WPS Office writes into every file it saves.

Real .wps reports are Word-97 OLE binaries whose DocumentSummaryInformation holds a
user-defined property `KSOProductBuildVer` (e.g. "2052-11.1.0.12763"). LibreOffice
keeps custom properties when it writes a .doc, so converting a DOCX marked here gives
an OLE file shaped like a WPS one.
"""

from __future__ import annotations

import io
import zipfile

WPS_PROPERTY = "KSOProductBuildVer"
WPS_BUILD = "2052-11.1.0.12763"

_CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="%s">'
    "<vt:lpwstr>%s</vt:lpwstr></property></Properties>"
)
_CUSTOM_REL = (
    '<Relationship Id="rIdWps" Target="docProps/custom.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"/>'
)
_CUSTOM_TYPE = (
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
)


def with_wps_property(docx: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", _CUSTOM_REL.encode() + b"</Relationships>")
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", _CUSTOM_TYPE.encode() + b"</Types>")
            target.writestr(item, data)
        custom = zipfile.ZipInfo("docProps/custom.xml", date_time=(2000, 1, 1, 0, 0, 0))
        target.writestr(custom, _CUSTOM_XML % (WPS_PROPERTY, WPS_BUILD))
    return out.getvalue()
