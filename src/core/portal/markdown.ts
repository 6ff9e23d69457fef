import MarkdownIt from "markdown-it";
import { SafeHtml } from "./html.js";

/**
 * Policy text as HTML, from Markdown. A policy file is written by people with write access, and the
 * portal is served to auditors, so nothing in it may run or call out: raw HTML is escaped (html:
 * false), links go only to http(s), mailto, anchors and relative paths, and images (which would
 * load from anywhere) stay as their alt text.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
markdown.disable("image");
markdown.validateLink = (url: string) => {
  const link = url.trim().toLowerCase();
  return /^(https?:|mailto:|#)/.test(link) || !/^[a-z][a-z0-9+.-]*:/.test(link);
};
const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[Number(idx)]!;
  if (/^https?:/i.test(String(token.attrGet("href") ?? "")))
    token.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string): SafeHtml {
  return new SafeHtml(markdown.render(text));
}
