// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags -I%S/Inputs
// A helper that some call fills with a plain pointer keeps its own access:
// that call's object is unknown, and so are the locks over it.  The read
// of the done list under ring::lock, as in embedded-helper.c, races with
// it here.
#include "wlist.h"

struct ring {
	spinlock_t lock;
	struct wlist done;
};

void ring_complete(struct ring *r, struct node *n)
{
	spin_lock(&r->lock);
	wlist_push(n, &r->done);
	spin_unlock(&r->lock);
}

void wlist_push_any(struct wlist *l, struct node *n)
{
	wlist_push(n, l);
}

struct node *ring_take_done(struct ring *r)
{
	struct node *n = NULL;

	spin_lock(&r->lock);
	if (!wlist_empty(&r->done))
		n = r->done.first;
	// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain load of 'wlist::first' races with wlist_push(), which writes it with WRITE_ONCE(); ring_take_done() reads it with READ_ONCE() elsewhere (confidence: low, 45) [kmark-missing-read-once]
	// CHECK-MESSAGES: wlist.h:16:13: note: wlist_push() writes 'l->first' with WRITE_ONCE(), on an object of this kind (ring)
	// CHECK-FIXES: n = READ_ONCE(r->done.first);
	spin_unlock(&r->lock);
	return n;
}
