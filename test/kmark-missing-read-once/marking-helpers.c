// RUN: cd %S && %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 --evidence Inputs/chan_helpers.c -- %kernel_flags -I%S/Inputs
// Marking seen through a pointer: set_value(), in another file, stores
// through its parameter with WRITE_ONCE() (by way of store_value()): a call
// set_value(&c->limit, v) is a marked store of chan::limit in the caller.
// chan_depth(), an accessor in a header, is a marked read of chan::depth
// in every function that calls it.
#include <linux/compiler.h>
#include "chan_helpers.h"

void chan_set_limit(struct chan *c, unsigned int v)
{
	set_value(&c->limit, v);
}

unsigned int chan_limit(struct chan *c)
{
	return c->limit;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'chan::limit' races with chan_set_limit(), which writes it with WRITE_ONCE() through set_value(); no lock is visibly held in chan_limit() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :12:13: note: chan_set_limit() writes 'c->limit' with WRITE_ONCE() through set_value()
	// CHECK-FIXES: return READ_ONCE(c->limit);
}

unsigned int chan_backlog(struct chan *c)
{
	unsigned int d = chan_depth(c);

	return d + c->depth;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'chan::depth' races with chan_push(), which writes it with WRITE_ONCE(); chan_backlog() reads it with READ_ONCE() through chan_depth() elsewhere (confidence: low, 48) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE+7]]:13: note: chan_push() writes 'c->depth' with WRITE_ONCE()
	// CHECK-MESSAGES: chan_helpers.h:17:19: note: chan_backlog() reads it with READ_ONCE() through chan_depth() here
	// CHECK-FIXES: return d + READ_ONCE(c->depth);
}

void chan_push(struct chan *c)
{
	WRITE_ONCE(c->depth, c->depth + 1);
	// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: plain load of 'chan::depth', which chan_depth() reads with READ_ONCE(); no lock is visibly held in chan_push() (confidence: low, 28) [kmark-missing-read-once]
	// CHECK-MESSAGES: chan_helpers.h:17:19: note: chan_depth() reads 'c->depth' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(c->depth, READ_ONCE(c->depth) + 1);
}
