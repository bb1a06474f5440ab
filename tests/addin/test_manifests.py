"""The rendered add-in manifests validate against Microsoft's XSDs and point at real pages."""

from __future__ import annotations

import re
import struct
import zlib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from connectors.errors import UsageError
from plugin.cli import main as cli_main
from plugin.manifests import (
    addin_id,
    manifest_version,
    normalize_server_url,
    render_manifests,
    write_manifests,
)
from plugin.web import icons

WEB = Path(__file__).resolve().parents[2] / "plugin" / "web"
NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "m10": "http://schemas.microsoft.com/office/mailappversionoverrides",
    "m11": "http://schemas.microsoft.com/office/mailappversionoverrides/1.1",
    "tp": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
}
URLS = [
    "https://localhost:8443",
    "https://deskdraft.example.com",
    "https://deskdraft.example.com:443/tools/deskdraft/",
    "https://[::1]:9443",
]


@pytest.fixture(scope="module")
def schema(corpus_dir: Path) -> etree.XMLSchema:
    return _schema(str(corpus_dir / "schemas" / "office-addin" / "OfficeAppManifestV1_1.xsd"))


@cache
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def _validate(schema: etree.XMLSchema, xml: str) -> list[str]:
    doc = etree.fromstring(xml.encode("utf-8"))
    schema.validate(doc)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@pytest.mark.parametrize("url", URLS)
def test_every_rendered_manifest_is_valid(schema: etree.XMLSchema, url: str) -> None:
    rendered = render_manifests(url)
    assert set(rendered) == {"deskdraft-outlook.xml", "deskdraft-excel-word.xml"}
    for name, xml in rendered.items():
        assert _validate(schema, xml) == [], name


def test_validation_is_real(schema: etree.XMLSchema) -> None:
    """The schema catches a broken manifest, so the test above proves something."""
    xml = render_manifests("https://localhost:8443")["deskdraft-outlook.xml"]
    broken = xml.replace(
        "<Permissions>ReadWriteItem</Permissions>", "<Permissions>Everything</Permissions>"
    )
    assert any("Permissions" in e for e in _validate(schema, broken))
    no_label = re.sub(r'<Label resid="ddSummarize.Label"/>', "", xml, count=1)
    assert _validate(schema, no_label)


def _outlook(url: str = "https://localhost:8443") -> etree._Element:
    return etree.fromstring(render_manifests(url)["deskdraft-outlook.xml"].encode())


def _office(url: str = "https://localhost:8443") -> etree._Element:
    return etree.fromstring(render_manifests(url)["deskdraft-excel-word.xml"].encode())


def _labels(root: etree._Element, prefix: str) -> dict[str, str]:
    return {
        s.get("id"): s.get("DefaultValue")
        for s in root.iterfind(f".//{prefix}:Resources/bt:ShortStrings/bt:String", NS)
    }


def test_outlook_read_surface_buttons_and_compose_summarize_thread_and_reply() -> None:
    root = _outlook()
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "MailApp"
    v11 = root.find("m10:VersionOverrides/m11:VersionOverrides", NS)
    assert v11 is not None
    labels = _labels(v11, "m11")
    surfaces = {}
    for point in v11.iterfind(".//m11:ExtensionPoint", NS):
        kind = point.get("{http://www.w3.org/2001/XMLSchema-instance}type")
        surfaces[kind] = [
            labels[c.find("m11:Label", NS).get("resid")]
            for c in point.iterfind(".//m11:Control", NS)
        ]
    assert surfaces == {
        "MessageReadCommandSurface": [
            "Summarize",
            "Suggest meeting",
            "Action items",
            "Draft reply",
            "Inbox digest",
        ],
        "MessageComposeCommandSurface": ["Summarize thread", "Draft reply"],
    }
    urls = {u.get("id"): u.get("DefaultValue") for u in v11.iterfind(".//bt:Url", NS)}
    assert urls["ddSuggestMeeting.Url"] == (
        "https://localhost:8443/addin/outlook.html?action=suggest_meetings"
    )
    assert urls["ddInboxDigest.Url"] == "https://localhost:8443/addin/outlook.html?action=digest"
    actions = v11.iterfind(".//m11:Action", NS)
    assert {a.get("{http://www.w3.org/2001/XMLSchema-instance}type") for a in actions} == {
        "ShowTaskpane"
    }


def test_excel_and_word_buttons() -> None:
    root = _office()
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "TaskPaneApp"
    assert [h.get("Name") for h in root.iterfind("o:Hosts/o:Host", NS)] == ["Workbook", "Document"]
    labels = _labels(root, "tp")
    hosts = {}
    for host in root.iterfind(".//tp:Hosts/tp:Host", NS):
        control = host.find(".//tp:Control", NS)
        hosts[host.get("{http://www.w3.org/2001/XMLSchema-instance}type")] = labels[
            control.find("tp:Label", NS).get("resid")
        ]
    assert hosts == {"Workbook": "Generate report", "Document": "Summarize document"}


def test_every_url_points_at_a_page_or_icon_that_ships() -> None:
    for name, xml in render_manifests("https://host.example:9443/dd").items():
        root = etree.fromstring(xml.encode())
        values = [
            v
            for node in root.iter()
            if isinstance(node.tag, str)
            for v in [*node.attrib.values(), node.text or ""]
        ]
        for url in {v.strip() for v in values if v.strip().startswith("https://")}:
            parts = urlsplit(url)
            assert parts.netloc == "host.example:9443", (name, url)
            if parts.path in {"", "/dd"}:  # AppDomain
                continue
            assert parts.path.startswith("/dd/addin/"), (name, url)
            assert (WEB / parts.path.removeprefix("/dd/addin/")).is_file(), (name, url)


def test_ids_are_stable_per_address_and_differ_between_addins() -> None:
    first = _outlook().findtext("o:Id", namespaces=NS)
    assert first == _outlook().findtext("o:Id", namespaces=NS)
    assert first != _office().findtext("o:Id", namespaces=NS)
    assert first != _outlook("https://other.example").findtext("o:Id", namespaces=NS)
    assert addin_id("https://a.example", "x") == addin_id("https://A.example", "x")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://localhost:8443/", "https://localhost:8443"),
        ("https://Example.COM:443", "https://example.com"),
        ("  https://h.example/sub/  ", "https://h.example/sub"),
    ],
)
def test_normalize_server_url(url: str, expected: str) -> None:
    assert normalize_server_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://localhost:8443", "https://"),
        ("localhost:8443", "https://"),
        ("https://", "no host"),
        ("https://user:pw@host", "credentials"),
        ("https://host/?a=1", "query"),
        ("https://host:99999", "invalid port"),
        ("https://host/a b", "path"),
    ],
)
def test_bad_urls_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        normalize_server_url(url)


def test_manifest_version_has_four_numbers() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", manifest_version())
    assert manifest_version("1.2.3rc1") == "1.2.3.0"


def test_cli_writes_both_manifests(
    tmp_path: Path, schema: etree.XMLSchema, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "manifests"
    assert cli_main(["manifest", "--url", "https://localhost:8443", "--out", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["deskdraft-excel-word.xml", "deskdraft-outlook.xml"]
    for path in out.iterdir():
        assert _validate(schema, path.read_text(encoding="utf-8")) == []
    assert "deskdraft-outlook.xml" in capsys.readouterr().out


def test_cli_refuses_http_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = cli_main(["manifest", "--url", "http://localhost:8443", "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "https://" in err and "deskdraft certs" in err
    assert not out.exists()


def test_write_manifests_returns_paths(tmp_path: Path) -> None:
    paths = write_manifests("https://localhost:8443", tmp_path / "a" / "b")
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.parametrize("size", icons.SIZES)
def test_committed_icons_are_the_drawn_ones(size: int) -> None:
    width, height, raw = _png_pixels((WEB / "assets" / f"icon-{size}.png").read_bytes())
    assert (width, height) == (size, size)
    stride = size * 4
    pixels = b"".join(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)] for r in range(size))
    assert pixels == icons.draw(size)
    # Transparent corners, opaque centre: a real icon, not a blank square.
    assert pixels[3] == 0 and pixels[(size // 2 * size + size // 2) * 4 + 3] == 255
