() => {
  // The chat shows each new answer from its start: when a question is asked, its turn is pinned to the top
  // of the message pane while the answer streams in below it (Gradio's own autoscroll, off, would follow
  // the bottom: the citation cards, with the answer above the fold). Scrolling by hand releases the pin.
  const attach = () => {
    const wrap = document.querySelector("#chat .bubble-wrap");
    if (!wrap) return setTimeout(attach, 250);
    let seen = wrap.querySelectorAll(".user-row").length;
    let pinned = null;
    const release = () => { pinned = null; };
    for (const ev of ["wheel", "touchstart", "keydown"]) wrap.addEventListener(ev, release, { passive: true });
    const keep = () => {
      if (!pinned || !pinned.isConnected) return;
      const gap = pinned.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
      if (Math.abs(gap) > 1) wrap.scrollTop += gap;
    };
    new MutationObserver(() => {
      const asked = wrap.querySelectorAll(".user-row");
      if (asked.length !== seen) {
        pinned = asked.length > seen ? asked[asked.length - 1] : null;  // fewer: a new conversation
        seen = asked.length;
      }
      keep();
    }).observe(wrap, { childList: true, subtree: true, characterData: true });
  };
  attach();
}
