// Attachments (issue #16): the customer's images, videos and documents, and an image the agent sends with
// a reply. Nothing is public and no link is kept in the page for long: each "Show" asks the API for a
// presigned link to Heard's copy that lasts minutes; an agent's image is posted straight to S3 through a
// presigned form the API hands out after checking the platform takes that type and size.

import { api } from "../../api.js";
import { busy, fill, h, notify } from "../../dom.js";

/** Every customer attachment on the timeline as {entryId, index, type, at}, oldest first. */
export function customerAttachments(timeline) {
  const found = [];
  for (const entry of timeline) {
    if (entry.kind !== "message_in" || !entry.data || !Array.isArray(entry.data.attachments)) continue;
    entry.data.attachments.forEach((file, index) => {
      found.push({ entryId: entry.entry_id, index, type: String((file && file.type) || "file"), at: entry.at });
    });
  }
  return found;
}

/** How a fetched attachment is drawn: images and videos inline, anything else as a link. */
export function mediaElement(link, label) {
  const type = String(link.content_type || "");
  if (type.startsWith("image/")) return h("img", { class: "attachment-media", src: link.url, alt: label });
  if (type.startsWith("video/")) return h("video", { class: "attachment-media", src: link.url, controls: true });
  return h("a", { href: link.url, target: "_blank", rel: "noopener noreferrer", text: `Open ${label} (link valid a few minutes)` });
}

/** Images and videos are read through the presigned link into a blob (the page's policy loads media from
 * no other origin); documents open through the link itself. */
async function loadable(link) {
  const type = String(link.content_type || "");
  if (!type.startsWith("image/") && !type.startsWith("video/")) return link;
  const response = await fetch(link.url);
  if (!response.ok) throw new Error(`The attachment could not be loaded (HTTP ${response.status}).`);
  return { ...link, url: URL.createObjectURL(await response.blob()) };
}

/** The panel listing the customer's attachments; `update(timeline)` follows the case. */
export function attachmentsPanel({ caseId }) {
  const list = h("ul", { class: "attachments" });
  const el = h("section", { class: "attachments-panel", "aria-labelledby": "attachments-title", hidden: true }, h("h2", { id: "attachments-title", text: "Attachments" }), list);
  const shown = new Map(); // "entry/index" -> element already fetched (kept while the view is open)

  function item(file) {
    const key = `${file.entryId}/${file.index}`;
    const label = `${file.type} ${file.index + 1}`;
    const slot = h("div", { class: "attachment-slot" }, shown.get(key) || null);
    const show = h("button", { type: "button", class: "button", dataset: { attachment: key }, text: `Show ${label}` });
    show.addEventListener("click", () =>
      busy(show, async () => {
        try {
          const { data } = await api(`/cases/${encodeURIComponent(caseId)}/attachments/${encodeURIComponent(file.entryId)}/${file.index}`);
          const media = mediaElement(await loadable(data), label);
          shown.set(key, media);
          fill(slot, media);
        } catch (error) {
          notify(error.message, "error");
        }
      }),
    );
    return h("li", { class: "attachment" }, show, slot);
  }

  function update(timeline) {
    const files = customerAttachments(timeline);
    el.hidden = !files.length;
    fill(list, files.map(item));
  }
  return { el, update };
}

/** "Attach an image" for the reply box: `apply(body)` names the uploaded image, `reset()` forgets it. */
export function imageAttacher({ caseId }) {
  const input = h("input", { type: "file", id: "reply-image", accept: "image/jpeg,image/png,image/gif,image/webp" });
  const status = h("span", { class: "hint", id: "reply-image-status", "aria-live": "polite" });
  const el = h("div", { class: "reply-image" }, h("label", { for: "reply-image", text: "Attach an image" }), input, status);
  let uploadId = null;

  async function upload(file) {
    const start = { content_type: file.type || "application/octet-stream", size: file.size };
    const { data } = await api(`/cases/${encodeURIComponent(caseId)}/attachments/uploads`, { method: "POST", body: start });
    const form = new FormData(); // a presigned POST: its fields first, the file last (S3 checks type and size)
    for (const [name, value] of Object.entries(data.fields)) form.append(name, value);
    form.append("file", file);
    const posted = await fetch(data.url, { method: "POST", body: form });
    if (!posted.ok) throw new Error(`The image could not be uploaded (HTTP ${posted.status}).`);
    return data.upload_id;
  }

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    uploadId = null;
    if (!file) return fill(status);
    status.textContent = `Uploading ${file.name}…`;
    try {
      uploadId = await upload(file);
      status.textContent = `${file.name} will be sent with the reply.`;
    } catch (error) {
      input.value = "";
      status.textContent = "";
      notify(error.message, "error");
    }
  });

  return {
    el,
    apply(body) {
      if (uploadId) body.attachment = uploadId;
      return body;
    },
    reset() {
      uploadId = null;
      input.value = "";
      status.textContent = "";
    },
  };
}
