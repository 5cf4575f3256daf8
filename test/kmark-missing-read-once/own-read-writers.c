// RUN: cd %S && %check_kmark %s kmark-missing-read-once %t --config MinConfidence=low --evidence Inputs/own_writer.c -- %kernel_flags -I%S/Inputs
// A function's own READ_ONCE() beside its plain read of the same field:
// with the field's writer in another indexed TU, the default tier; with
// no store of the field anywhere in the index (its writer outside it, or
// the device), only the low tier, and the message says why.
#include <linux/lock.h>
#include "own_writer.h"

int req_done(struct req *r)
{
	int s = READ_ONCE(r->state);

	return s ? r->state : 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'req::state', which req_done() reads with READ_ONCE() elsewhere (confidence: medium, 60) [kmark-missing-read-once]
	// CHECK-FIXES: return s ? READ_ONCE(r->state) : 0;
}

unsigned int req_tag(struct req *r)
{
	unsigned int t = READ_ONCE(r->tag);

	return t + r->tag;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'req::tag', which req_tag() reads with READ_ONCE() elsewhere; no store of it is indexed (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-FIXES: return t + READ_ONCE(r->tag);
}
