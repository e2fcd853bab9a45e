# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A loopback stand-in for the firmware catalogs and Apple's download server,
# for the UI tests: an ipsw.me-shaped catalog, Apple's version plist, and
# small but real IPSW files (zip + BuildManifest.plist), served with Range,
# ETag and an optional pace so a download can be watched mid-way.

import hashlib
import http.server
import io
import os
import plistlib
import re
import threading
import time
import zipfile


def make_ipsw(product_types, board, version, build, padding):
    manifest = {
        "ProductVersion": version,
        "ProductBuildVersion": build,
        "SupportedProductTypes": product_types,
        "BuildIdentities": [
            {
                "ApChipID": "0x8110",
                "ApBoardID": "0x0C",
                "Info": {
                    "DeviceClass": board,
                    "RestoreBehavior": behavior,
                    "Variant": "Customer %s Install (IPSW)" % behavior,
                },
            }
            for behavior in ("Erase", "Update")
        ],
    }
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("BuildManifest.plist", plistlib.dumps(manifest))
        archive.writestr("Restore.plist", plistlib.dumps({"ProductVersion": version}))
        # stands in for the root file system: enough bytes to watch progress
        archive.writestr("090-00000-000.dmg", os.urandom(padding))
    return data.getvalue()


class FirmwareServer:
    def __init__(self, pace_seconds=0.0, padding=24 * 1024 * 1024):
        self.pace_seconds = pace_seconds
        self.files = {}
        self.firmwares = []
        for version, build, is_signed in (
            ("18.6.2", "22G100", True),
            ("18.6.1", "22G90", True),
            ("18.5", "22F76", False),
        ):
            name = "iPhone14,2_%s_%s_Restore.ipsw" % (version, build)
            body = make_ipsw(["iPhone14,2"], "d63ap", version, build, padding if is_signed else 1024)
            self.files[name] = body
            self.firmwares.append(
                {
                    "identifier": "iPhone14,2",
                    "version": version,
                    "buildid": build,
                    "sha1sum": hashlib.sha1(body).hexdigest(),
                    "sha256sum": hashlib.sha256(body).hexdigest(),
                    "md5sum": hashlib.md5(body).hexdigest(),
                    "filesize": len(body),
                    "url": None,  # filled in once the port is known
                    "releasedate": "2025-08-20T17:00:00Z",
                    "uploaddate": "2025-08-20T16:30:00Z",
                    "signed": is_signed,
                    "_name": name,
                }
            )
        # an IPSW for another model, to choose by mistake
        self.other_ipsw = make_ipsw(["iPhone13,2", "iPhone13,3"], "d53gap", "26.2.1", "23C71", 1024)

        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send_body(self, body, content_type):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.startswith("/v4/device/iPhone14,2"):
                    import json

                    listing = {
                        "name": "iPhone 13 Pro",
                        "identifier": "iPhone14,2",
                        "boardconfig": "D63AP",
                        "platform": "t8110",
                        "cpid": 33040,
                        "bdid": 12,
                        "firmwares": [
                            {k: v for k, v in f.items() if not k.startswith("_")}
                            for f in server.firmwares
                        ],
                    }
                    self.send_body(json.dumps(listing).encode(), "application/json")
                elif self.path.startswith("/v4/device/"):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/version":
                    self.send_body(plistlib.dumps({}), "application/xml")
                elif self.path.startswith("/files/"):
                    self.send_file(self.path[len("/files/"):])
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def send_file(self, name):
                body = server.files.get(name)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"%s"' % hashlib.md5(body).hexdigest()
                start, end = 0, len(body) - 1
                match = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
                if_range = self.headers.get("If-Range")
                partial = match is not None and (if_range is None or if_range == etag)
                if partial:
                    start = int(match.group(1))
                    if match.group(2):
                        end = min(int(match.group(2)), len(body) - 1)
                    self.send_response(206)
                    self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, len(body)))
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(end - start + 1))
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("ETag", etag)
                self.end_headers()
                chunk = 256 * 1024
                position = start
                try:
                    while position <= end:
                        piece = body[position : min(position + chunk, end + 1)]
                        self.wfile.write(piece)
                        position += len(piece)
                        if server.pace_seconds:
                            time.sleep(server.pace_seconds)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        for firmware in self.firmwares:
            firmware["url"] = "http://127.0.0.1:%d/files/%s" % (self.port, firmware["_name"])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def catalog_url(self):
        return "http://127.0.0.1:%d/v4" % self.port

    @property
    def apple_url(self):
        return "http://127.0.0.1:%d/version" % self.port

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
