package synth

import (
	"bufio"
	"strconv"
	"time"
)

// writeRow formats one data row (preceded by the row separator, so the file
// has no trailing newline) and updates the truth figures.
func (g *gen) writeRow(bw *bufio.Writer, rw *row) error {
	c := &g.camps[rw.camp]
	a := &g.assign[rw.assign]
	tx := &texters[a.texter]

	g.text = rw.text.render(g.text[:0], rw.first, tx.first)

	emptyTS := false
	if g.o.EmptyTimestamps > 0 && g.r.Float64() < g.o.EmptyTimestamps {
		emptyTS = true
	}

	campaign, codes := c.idStr, rw.codes
	if g.o.BrokenColumns {
		campaign = strconv.Itoa(1000000 + g.written)
		codes = strconv.Itoa(100000 + g.written)
	}
	g.written++

	b := append(g.line[:0], g.sep...)
	fast := g.fast
	switch g.d {
	case dSV10, dMOv5, dMOLegacy:
		if g.d == dSV10 {
			b = strconv.AppendInt(b, rw.cc, 10)
		} else {
			b = strconv.AppendInt(b, a.id, 10)
		}
		b = append(b, ',')
		b = append(b, campaign...)
		b = append(b, ',')
		b = append(b, rw.user...)
		b = append(b, ',')
		b = appendPhone(b, rw.contact)
		b = appendBool(b, rw.inbound)
		b = append(b, ',')
		b = append(b, statusNames[rw.status]...)
		b = append(b, ',')
		if !emptyTS {
			b = g.ts.append(b, rw.t)
		}
		b = append(b, ',')
		b = appendField(b, g.text, false)
		if g.d != dMOLegacy {
			b = append(b, ',')
			b = append(b, codes...)
		}
	case dRewired:
		b = strconv.AppendInt(b, a.id, 10)
		b = append(b, ',')
		b = append(b, rw.user...)
		b = append(b, ',')
		b = appendPhone(b, rw.contact)
		b = appendBool(b, rw.inbound)
		b = append(b, ',')
		if rw.status != stQueued {
			b = strconv.AppendInt(b, int64(segments(g.text)), 10)
			b = append(b, ',')
			b = append(b, byte('0'+rw.media))
		} else {
			b = append(b, ',')
		}
		b = append(b, ',')
		b = append(b, statusNames[rw.status]...)
		b = append(b, ',')
		b = appendField(b, codes, fast)
		b = append(b, ',')
		if !emptyTS {
			b = g.ts.append(b, rw.t)
		}
		b = append(b, ',')
		b = appendField(b, g.text, fast)
		b = append(b, ',')
		b = append(b, campaign...)
		if rw.inbound {
			b = append(b, ",,,,"...)
		} else {
			b = append(b, ',')
			b = appendField(b, tx.first, fast)
			b = append(b, ',')
			b = appendField(b, tx.last, fast)
			b = append(b, ',')
			b = appendField(b, tx.email, fast)
			b = append(b, ',')
			b = append(b, tx.cell...)
		}
		for v := 0; v < g.nVars; v++ {
			b = append(b, ',')
			if rw.vars && !rw.inbound {
				b = appendField(b, c.vars[v], fast)
			}
		}
	}
	g.line = b
	if _, err := bw.Write(b); err != nil {
		return err
	}

	// truth
	t := &g.truth
	t.Rows++
	if !emptyTS {
		if !g.haveTS || rw.t > g.maxTS {
			g.maxTS = rw.t
			g.haveTS = true
		}
	}
	if rw.inbound {
		t.Inbound++
		if rw.primary == "-133" || isOptOutText(g.text) || (g.d == dRewired && isRewiredTriggerText(g.text)) {
			t.OptOutReplies++
		}
		return nil
	}
	t.Outbound++
	g.statuses[rw.status]++
	bc := &g.byCamp[rw.camp]
	bc.Outbound++
	switch rw.status {
	case stError:
		bc.Errored++
		t.ErrorCodes[rw.primary]++
		switch rw.primary {
		case "21610", "40300", "4775":
			t.OptOutRejections++
		}
	case stSent:
		if emptyTS {
			t.SentAgeUnknown++
		} else {
			g.sentTS = append(g.sentTS, rw.t)
		}
	}
	return nil
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, ",true"...)
	}
	return append(b, ",false"...)
}

// finish computes the figures that need the whole file.
func (g *gen) finish() {
	t := &g.truth
	for s, n := range g.statuses {
		if n > 0 {
			t.ByStatus[statusNames[s]] = n
		}
	}
	t.Delivered = g.statuses[stDelivered]
	t.Errored = g.statuses[stError]
	for i, bc := range g.byCamp {
		if bc.Outbound > 0 {
			t.ByCampaign[g.camps[i].idStr] = bc
		}
	}
	if g.haveTS {
		t.AsOf = time.UnixMilli(g.maxTS).UTC().Format("2006-01-02T15:04:05.000Z07:00")
		for _, ts := range g.sentTS {
			if g.maxTS-ts > pendingMs {
				t.SentStuck++
			} else {
				t.SentPending++
			}
		}
	} else {
		t.SentAgeUnknown += len(g.sentTS)
	}
	g.sentTS = nil
}
