// The Outcalls dashboard: one snapshot from /api/v1/dashboard, then live snapshots from the
// server-sent event stream /api/v1/dashboard/events (polling if the stream is unavailable).
// Every value from the server is inserted as text, never as HTML.
(function () {
  'use strict';
  var updates = 0;

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }
  function td(v, cls) { return el('td', {cls: cls || ''}, v); }
  function short(h) { return h ? String(h).substring(0, 12) : ''; }
  function fill(tbody, rows, columns) {
    tbody.replaceChildren();
    if (!rows.length) { tbody.appendChild(el('tr', null, el('td', {colspan: columns, cls: 'empty', text: 'none'}))); }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }

  function summary(s, d) {
    var text = 'subnet ' + short(s.subnet_id) + ' · ' + s.replica_count + ' replicas, f = ' + s.faults_tolerated +
      ', threshold ' + s.threshold + ' · registry v' + s.registry_version + ' · ' +
      d.blocks_per_second.toFixed(2) + ' blocks/s · ';
    var box = document.getElementById('summary');
    box.replaceChildren(document.createTextNode(text),
      el('span', {id: 'agreement', cls: d.state_hash_agreement ? 'ok' : 'bad',
        text: d.state_hash_agreement ? 'state hashes agree' : 'STATE HASHES DIFFER'}));
    var m = membership(s.membership);
    if (m) { box.appendChild(m); }
  }

  // a pending membership change (which, from which height) and the last applied one
  function membership(m) {
    if (!m || (!m.pending && !m.last_applied)) { return null; }
    var parts = [];
    if (m.pending) {
      parts.push('membership change pending: ' + m.pending.change + ', takes effect at height ' +
        m.pending.effective_height + ' (in ' + m.pending.heights_to_go + ' heights; then f = ' +
        m.pending.faults_tolerated + ', threshold ' + m.pending.threshold + ')');
    }
    if (m.last_applied) {
      parts.push('last membership change: ' + m.last_applied.change + ' at height ' + m.last_applied.height +
        ' (registry v' + m.last_applied.registry_version + ')');
    }
    return el('span', {id: 'membership', cls: m.pending ? 'pending' : '', text: ' · ' + parts.join(' · ')});
  }

  // why replicas halted, from the subnet status: index -> {height, reason}
  function halts(s) {
    var byIndex = {};
    (s.replicas || []).forEach(function (r) { if (r.halted) { byIndex[r.index] = r.halted; } });
    return byIndex;
  }

  function replicas(d, s) {
    var halted = halts(s);
    var box = document.getElementById('halts');
    box.replaceChildren();
    Object.keys(halted).forEach(function (i) {
      box.appendChild(el('p', {cls: 'bad', 'data-replica': i,
        text: 'Replica ' + i + ' halted at height ' + halted[i].height + ': ' + halted[i].reason}));
    });
    fill(document.querySelector('#replicas tbody'), d.replicas.map(function (r) {
      var heard = r.peers.filter(function (p) { return p.connected; }).length;
      var state = el('td', {cls: r.state, text: r.state});
      if (halted[r.index]) { state.setAttribute('title', halted[r.index].reason); }
      return el('tr', {'data-replica': r.index, 'data-state': r.state},
        td(r.index), state, td(r.fault), td(r.finalized_height, 'num'), td(r.executed_height, 'num'),
        td(r.lag, 'num'), el('td', {cls: 'hash', title: r.state_hash, text: short(r.state_hash)}),
        td(heard + ' / ' + r.peers.length, 'num'), td(r.pools.ingress_messages, 'num'), td(r.pools.outcall_contexts, 'num'),
        td(r.missing_plugins.join(', ') || '—', r.missing_plugins.length ? 'bad' : ''));
    }), 11);
  }

  function groups(list) {
    var cell = el('td');
    if (!list.length) { cell.appendChild(el('span', {cls: 'empty', text: 'no shares yet'})); }
    list.forEach(function (g) {
      cell.appendChild(el('span', {cls: 'group', 'data-hash': g.content_hash, 'data-count': g.count,
        title: 'signers ' + g.signers.join(', ') + (g.summary ? ' — ' + g.summary : '')},
        el('span', {cls: 'hash', text: short(g.content_hash)}), ': ' + g.count + (g.summary ? ' (' + g.summary + ')' : '')));
    });
    return cell;
  }

  function inflight(d) {
    fill(document.querySelector('#inflight tbody'), d.in_flight.map(function (o) {
      return el('tr', {'data-outcall': o.message_id, 'data-callback': o.callback_id},
        el('td', {cls: 'hash', title: o.message_id, text: short(o.message_id)}), td(o.method),
        td(o.url, 'url'), td(o.policy), td(seconds(o.age_millis), 'num'), groups(o.groups));
    }), 6);
  }

  function recent(d) {
    fill(document.querySelector('#recent tbody'), d.recent.map(function (o) {
      return el('tr', {'data-outcall': o.message_id, 'data-status': o.status, 'data-kind': o.kind},
        el('td', {cls: 'hash', title: o.message_id, text: short(o.message_id)}), td(o.url, 'url'),
        td(o.status, o.status), td(o.kind), td(o.height, 'num'), td(o.seconds.toFixed(2), 'num'));
    }), 6);
  }

  function noConsensus(d) {
    var box = document.getElementById('noconsensus');
    box.replaceChildren();
    if (!d.no_consensus.length) { box.appendChild(el('p', {cls: 'empty', text: 'none'})); return; }
    d.no_consensus.forEach(function (n) {
      var head = el('tr', null, el('th', {text: 'field'}));
      n.groups.forEach(function (g) {
        head.appendChild(el('th', {title: 'signers ' + g.signers.join(', ')},
          el('span', {cls: 'hash', text: short(g.content_hash)}), ' × ' + g.count));
      });
      var body = el('tbody');
      n.differences.forEach(function (f) {
        var row = el('tr', {'data-field': f.field}, el('td', {cls: 'diff-field', text: f.field}));
        f.values.forEach(function (v) { row.appendChild(td(v)); });
        body.appendChild(row);
      });
      if (!n.differences.length) {
        body.appendChild(el('tr', null, el('td', {cls: 'empty', colspan: n.groups.length + 1,
          text: 'no field differs in the contents held here (the contents may be larger than what travels with a share)'})));
      }
      box.appendChild(el('div', {cls: 'nc', 'data-outcall': n.message_id},
        el('div', null, el('span', {cls: 'hash', title: n.message_id, text: short(n.message_id)}), ' ',
          el('span', {cls: 'url', text: n.url}), ' · height ' + n.height),
        el('div', {cls: 'hint', text: n.message}),
        el('table', null, el('thead', null, head), body)));
    });
  }

  function histogram(id, h) {
    var box = document.getElementById(id);
    box.replaceChildren();
    if (!h.count) { box.appendChild(el('p', {cls: 'empty', text: 'no observations yet'})); return; }
    var counts = [], prev = 0, max = 1;
    h.cumulative.forEach(function (c, i) { counts.push(c - prev); prev = c; max = Math.max(max, c - (i ? h.cumulative[i - 1] : 0)); });
    counts.forEach(function (c, i) {
      var label = i < h.upper_bounds.length ? '≤ ' + h.upper_bounds[i] + ' s' : '> ' + h.upper_bounds[h.upper_bounds.length - 1] + ' s';
      var bar = el('div', {cls: 'bar'});
      bar.style.width = (100 * c / max) + '%';
      box.appendChild(el('div', {cls: 'row'}, el('span', {text: label}), el('div', null, bar), el('span', {cls: 'num', text: String(c)})));
    });
    box.appendChild(el('p', {cls: 'hint', text: h.count + ' observations, mean ' + (h.sum / h.count).toFixed(3) + ' s'}));
  }

  function plugins(s) {
    var box = document.getElementById('plugins');
    box.replaceChildren();
    var enabled = Object.keys(s.enabled_plugins || {}).map(function (k) { return k + '@' + s.enabled_plugins[k]; });
    box.appendChild(el('p', null, el('strong', {text: 'Enabled in the registry: '}), el('span', {id: 'enabled-plugins', text: enabled.join(', ') || 'none'})));
    var installed = s.installed_plugins || {};
    Object.keys(installed).forEach(function (kind) {
      box.appendChild(el('p', null, el('strong', {text: 'Installed ' + kind + ': '}),
        el('span', {'data-kind': kind, text: installed[kind].join(', ') || 'none'})));
    });
    if ((s.missing_plugins || []).length) {
      box.appendChild(el('p', {cls: 'bad', text: 'Enabled but not installed here: ' + s.missing_plugins.join(', ')}));
    }
    box.appendChild(versionsTable(s));
  }

  // Per plugin: the version the registry enables, and per installed version the replicas that have it
  // (what an operator checks before enabling a new version: n - f replicas must have it).
  function versionsTable(s) {
    var byName = {};
    (s.replicas || []).forEach(function (r) {
      (r.installed_plugins || []).forEach(function (entry) {
        var at = entry.lastIndexOf('@');
        var name = entry.substring(0, at), version = entry.substring(at + 1);
        byName[name] = byName[name] || {};
        (byName[name][version] = byName[name][version] || []).push(r.index);
      });
    });
    Object.keys(s.enabled_plugins || {}).forEach(function (name) { byName[name] = byName[name] || {}; });
    var table = el('table', {id: 'plugin-versions'},
      el('tr', null, el('th', {text: 'plugin'}), el('th', {text: 'enabled'}), el('th', {text: 'installed on replicas'})));
    Object.keys(byName).sort().forEach(function (name) {
      var enabled = (s.enabled_plugins || {})[name];
      var versions = Object.keys(byName[name]).sort().map(function (v) {
        return v + ' [' + byName[name][v].join(', ') + ']';
      });
      var lacking = enabled && !(byName[name][enabled] && byName[name][enabled].length === (s.replicas || []).length);
      var row = el('tr', {'data-plugin': name},
        el('td', {text: name}), el('td', {text: enabled || '—'}), el('td', {text: versions.join('  ') || '—'}));
      if (lacking) {
        row.className = 'bad';
      }
      table.appendChild(row);
    });
    return table;
  }

  function render(snapshot) {
    var s = snapshot.subnet, d = snapshot.diagnostics;
    summary(s, d); replicas(d, s); inflight(d); recent(d); noConsensus(d);
    histogram('latency-e2e', d.end_to_end); histogram('latency-fetch', d.fetch); plugins(s);
    updates++;
    var live = document.getElementById('live');
    live.setAttribute('data-updates', String(updates));
    live.textContent = '● live';
    live.className = 'on';
  }

  function poll() {
    fetch('/api/v1/dashboard', {cache: 'no-store'}).then(function (r) { return r.json(); })
      .then(render).catch(function () {}).then(function () { setTimeout(poll, 2000); });
  }

  fetch('/api/v1/dashboard', {cache: 'no-store'}).then(function (r) { return r.json(); }).then(render).catch(function () {});
  if (window.EventSource) {
    var source = new EventSource('/api/v1/dashboard/events');
    var failures = 0;
    source.addEventListener('snapshot', function (e) { failures = 0; render(JSON.parse(e.data)); });
    source.onerror = function () {
      document.getElementById('live').className = '';
      if (++failures > 5) { source.close(); poll(); }
    };
  } else {
    poll();
  }
}());
