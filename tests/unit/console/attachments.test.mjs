// The case view's attachments (issue #16): which customer files are listed and how a fetched one is drawn.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import { customerAttachments } from "../../../console/js/views/case/attachments.js";

test("every customer attachment is listed by message and position; replies and events are not", () => {
  const timeline = [
    { kind: "message_in", entry_id: "e1", at: "2026-01-01T10:00:00Z", data: { attachments: [{ type: "image" }, { type: "video" }] } },
    { kind: "reply", entry_id: "r1", at: "2026-01-01T10:05:00Z", data: { attachment: { content_type: "image/png" } } },
    { kind: "message_in", entry_id: "e2", at: "2026-01-01T10:06:00Z", data: { attachments: [] } },
    { kind: "message_in", entry_id: "e3", at: "2026-01-01T10:07:00Z", data: { attachments: [{}] } },
  ];
  assert.deepEqual(
    customerAttachments(timeline).map((f) => [f.entryId, f.index, f.type]),
    [
      ["e1", 0, "image"],
      ["e1", 1, "video"],
      ["e3", 0, "file"],
    ],
  );
});
