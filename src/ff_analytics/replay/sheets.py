"""Replay the recorded commissioner sheet behind the Google endpoints gspread calls (127.0.0.1 only).

Served: the OAuth token endpoint (service-account JWT grant), ``GET /v4/spreadsheets/{id}`` (metadata),
``GET /v4/spreadsheets/{id}/values:batchGet`` and ``POST /drive/v3/files/{id}/copy``. Every Sheets/Drive call
must carry a token the server issued. Values are answered like the API answers them: formatted strings, trailing
empty cells and rows left out, ``range`` covering the whole sheet grid.

Point the connector at it with ``replay_env(server)`` (base URLs, spreadsheet id, a throwaway service account
whose ``token_uri`` is this server, and the 3 GM tabs the recording lacks in ``FFA_SHEETS_EXCLUDED_TABS``).
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import polars as pl

from ff_analytics.replay.server import ReplayServer, Request, Response
from ff_analytics.settings import get_settings
from ff_analytics.sources.sheets.grid import column_letter

TOKEN_PATH = "/token"
SHEETS_PREFIX = "/v4/spreadsheets/"
DRIVE_PREFIX = "/drive/v3/files/"
_EXPORT_BLANK = re.compile(r"^_\d+$")


@dataclass
class RecordedSpreadsheet:
    """A spreadsheet the server answers for: tab title → grid (rows of cell strings), in tab order."""

    spreadsheet_id: str
    title: str
    tabs: dict[str, list[list[str]]]
    not_recorded: list[str] = field(default_factory=list)

    def clone(self, spreadsheet_id: str | None = None, title: str | None = None) -> RecordedSpreadsheet:
        return RecordedSpreadsheet(spreadsheet_id or self.spreadsheet_id, title or self.title,
                                   copy.deepcopy(self.tabs), list(self.not_recorded))


def grid_from_export(frame: pl.DataFrame) -> list[list[str]]:
    """The sheet grid of a recorded export: its column names are the sheet's first row."""
    header = ["" if (name == "" or _EXPORT_BLANK.match(name)) else name for name in frame.columns]
    rows = [["" if c is None else str(c) for c in r] for r in frame.iter_rows()]
    return [header, *rows]


def load_recorded_spreadsheet(recordings_dir: Path | None = None) -> RecordedSpreadsheet:
    """The recorded spreadsheet from ``recordings/sheets`` (spreadsheet.json + one folder per tab)."""
    root = Path(recordings_dir or get_settings().recordings_dir) / "sheets"
    meta = json.loads((root / "spreadsheet.json").read_text(encoding="utf-8"))
    tabs = {tab: grid_from_export(pl.read_parquet(root / tab / f"{tab}.parquet")) for tab in meta["tabs"]}
    return RecordedSpreadsheet(meta["spreadsheetId"], meta["title"], tabs, list(meta.get("not_recorded", [])))


def throwaway_service_account(token_uri: str) -> dict[str, str]:
    """A service-account JSON with a freshly generated RSA key (never stored) whose token_uri is ``token_uri``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": "ffa-replay", "private_key_id": secrets.token_hex(8),
            "private_key": pem, "client_email": "ffa-replay@ffa-replay.iam.gserviceaccount.com",
            "client_id": "0", "token_uri": token_uri}


class SheetsReplay:
    """Request handlers over a set of spreadsheets (copies made through Drive are added here)."""

    def __init__(self, spreadsheet: RecordedSpreadsheet) -> None:
        self.spreadsheets = {spreadsheet.spreadsheet_id: spreadsheet}
        self.tokens: set[str] = set()

    # -- helpers -------------------------------------------------------------------------------------------
    @staticmethod
    def _error(status: int, message: str, reason: str) -> Response:
        return Response(status, json.dumps({"error": {"code": status, "message": message, "status": reason}})
                        .encode())

    def _authorised(self, req: Request) -> bool:
        auth = next((v for k, v in req.headers.items() if k.lower() == "authorization"), "")
        return auth.startswith("Bearer ") and auth[7:] in self.tokens

    @staticmethod
    def _size(grid: list[list[str]]) -> tuple[int, int]:
        width = max((len(r) for r in grid), default=0)
        return max(1000, len(grid)), max(26, width)

    # -- endpoints -----------------------------------------------------------------------------------------
    def token(self, req: Request) -> Response:
        form = parse_qs(req.body.decode("utf-8", "replace"))
        grant = form.get("grant_type", [""])[0]
        assertion = form.get("assertion", [""])[0]
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer" or assertion.count(".") != 2:
            return Response(400, b'{"error": "invalid_grant"}')
        token = "replay-" + secrets.token_hex(12)
        self.tokens.add(token)
        return Response(200, json.dumps({"access_token": token, "expires_in": 3600, "token_type": "Bearer"})
                        .encode())

    def sheets(self, req: Request) -> Response:
        if not self._authorised(req):
            return self._error(401, "Request is missing valid authentication credentials.", "UNAUTHENTICATED")
        rest = req.path[len(SHEETS_PREFIX):]
        key, _, action = rest.partition("/")
        sheet = self.spreadsheets.get(key)
        if sheet is None:
            return self._error(404, "Requested entity was not found.", "NOT_FOUND")
        if action == "":
            return Response(200, json.dumps(self._metadata(sheet)).encode())
        if action == "values:batchGet":
            return self._batch_get(sheet, req.query.get("ranges", []))
        return self._error(404, f"no replayed endpoint {req.path}", "NOT_FOUND")

    def drive_copy(self, req: Request) -> Response:
        if not self._authorised(req):
            return self._error(401, "Request is missing valid authentication credentials.", "UNAUTHENTICATED")
        key, _, action = req.path[len(DRIVE_PREFIX):].partition("/")
        sheet = self.spreadsheets.get(key)
        if sheet is None or action != "copy":
            return self._error(404, "File not found: " + key, "notFound")
        body = json.loads(req.body or b"{}")
        new = sheet.clone(spreadsheet_id="copy-" + secrets.token_hex(6), title=body.get("name") or sheet.title)
        self.spreadsheets[new.spreadsheet_id] = new
        return Response(200, json.dumps({"kind": "drive#file", "id": new.spreadsheet_id, "name": new.title,
                                         "mimeType": "application/vnd.google-apps.spreadsheet"}).encode())

    def _metadata(self, sheet: RecordedSpreadsheet) -> dict[str, Any]:
        sheets = []
        for index, (title, grid) in enumerate(sheet.tabs.items()):
            rows, cols = self._size(grid)
            sheets.append({"properties": {"sheetId": 1000 + index, "title": title, "index": index,
                                          "sheetType": "GRID",
                                          "gridProperties": {"rowCount": rows, "columnCount": cols}}})
        return {"spreadsheetId": sheet.spreadsheet_id,
                "properties": {"title": sheet.title, "locale": "en_US", "timeZone": "America/New_York"},
                "sheets": sheets}

    def _batch_get(self, sheet: RecordedSpreadsheet, ranges: list[str]) -> Response:
        out = []
        for a1 in ranges:
            title = a1[1:-1].replace("''", "'") if len(a1) >= 2 and a1[0] == a1[-1] == "'" else a1
            if "!" in title or title not in sheet.tabs:
                return self._error(400, f"Unable to parse range: {a1}", "INVALID_ARGUMENT")
            grid = sheet.tabs[title]
            rows, cols = self._size(grid)
            quoted = "'" + title.replace("'", "''") + "'" if not re.fullmatch(r"[A-Za-z0-9_]+", title) else title
            entry: dict[str, Any] = {"range": f"{quoted}!A1:{column_letter(cols - 1)}{rows}",
                                     "majorDimension": "ROWS"}
            values = _trim(grid)
            if values:
                entry["values"] = values
            out.append(entry)
        return Response(200, json.dumps({"spreadsheetId": sheet.spreadsheet_id, "valueRanges": out}).encode())


def _trim(grid: list[list[str]]) -> list[list[str]]:
    """As the API answers: trailing empty cells of each row and trailing empty rows left out."""
    rows = []
    for r in grid:
        end = len(r)
        while end and r[end - 1] == "":
            end -= 1
        rows.append(list(r[:end]))
    while rows and not rows[-1]:
        rows.pop()
    return rows


def build_sheets_server(spreadsheet: RecordedSpreadsheet | None = None,
                        recordings_dir: Path | None = None) -> ReplayServer:
    """A server (not started) answering for the recorded spreadsheet; ``server.sheets_replay`` holds its state."""
    replay = SheetsReplay(spreadsheet or load_recorded_spreadsheet(recordings_dir))
    server = ReplayServer()
    server.add(TOKEN_PATH, replay.token, method="POST")
    server.add_prefix(SHEETS_PREFIX, replay.sheets)
    server.add_prefix(DRIVE_PREFIX, replay.drive_copy, method="POST")
    server.sheets_replay = replay  # type: ignore[attr-defined]
    return server


def replay_env(server: ReplayServer, spreadsheet_id: str | None = None) -> dict[str, str]:
    """Environment settings that point the sheets connector at ``server`` (the demo and tests set these)."""
    replay: SheetsReplay = server.sheets_replay  # type: ignore[attr-defined]
    sheet = next(iter(replay.spreadsheets.values())) if spreadsheet_id is None else \
        replay.spreadsheets[spreadsheet_id]
    return {
        "FFA_SHEETS_BASE_URL": server.url,
        "FFA_DRIVE_BASE_URL": server.url,
        "FFA_SHEET_ID": sheet.spreadsheet_id,
        "FFA_SHEETS_EXCLUDED_TABS": ",".join(sheet.not_recorded),
        "FFA_GOOGLE_SERVICE_ACCOUNT_JSON": json.dumps(throwaway_service_account(server.url + TOKEN_PATH)),
    }
