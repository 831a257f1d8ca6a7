// The writes a screen has sent and the server has not acknowledged yet. Each one gets a
// client id (cid) once, so a write sent again after a lost answer or a reconnect is stored
// once however often it arrives (docs/realtime.md, section 4). The one place that sends
// writes again: the phone and the console both use it.
//
// createOutbox(live, {key, inOrder, onAnswer, onChange}) -> {add, flush, items}
//   live       what connect() or connectStaff() returned
//   key        keep the writes in localStorage under this key (a phone's proposals and
//              votes outlive a reload); without it they are kept in memory
//   inOrder    one write on its way at a time, oldest first (a phone's votes build on each
//              other); otherwise every waiting write is sent at once
//   onAnswer(item, ack)  the server answered `item` ({event, payload}); it has left the
//              outbox, whatever the answer (a refusal is an answer too)
//   onChange() after a write was added, answered, or went unanswered
// add(event, payload) queues a write and sends it when connected; flush() sends what is
// waiting and not on its way: call it once connected and after a snapshot. A write left
// unanswered (timeout, connection lost) stays for the next flush.
import { store, uid } from "./live.js";

export function createOutbox(live, opts) {
  opts = opts || {};
  var memory = [];
  var sending = {}; // cid -> true while its answer is awaited

  function items() { return opts.key ? store.get(opts.key, []) : memory.slice(); }

  function save(list) {
    if (opts.key) store.set(opts.key, list.length ? list : null);
    else memory = list;
  }

  function changed() { if (opts.onChange) opts.onChange(); }

  function add(event, payload) {
    var item = { event: event, payload: Object.assign({ cid: uid() }, payload || {}) };
    save(items().concat([item]));
    changed();
    flush();
  }

  function flush() {
    if (!live.state.connected) return;
    var waiting = items().filter(function (item) { return !sending[item.payload.cid]; });
    if (opts.inOrder) waiting = Object.keys(sending).length ? [] : waiting.slice(0, 1);
    waiting.forEach(send);
  }

  function send(item) {
    var cid = item.payload.cid;
    sending[cid] = true;
    live.send(item.event, item.payload).then(function (ack) {
      delete sending[cid];
      save(items().filter(function (o) { return o.payload.cid !== cid; }));
      if (opts.onAnswer) opts.onAnswer(item, ack);
      changed();
      flush();
    }, function () {
      delete sending[cid]; // no answer: it stays for the next flush
      changed();
    });
  }

  return { add: add, flush: flush, items: items };
}
