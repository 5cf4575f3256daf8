// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags -I%S/Inputs
// A helper's marked access through its parameter is made, at each call, on
// the member the caller passes, under the caller's locks: wlist_push()
// writes the done list under ring::lock (through wlist_push_front(), which
// hands its parameter on) and the pending list under ring::queue_lock.
// A read of the done list under ring::lock races with neither; a
// lockless read of the pending list races with the queueing.
#include "wlist.h"

static inline void wlist_push_front(struct node *n, struct wlist *l)
{
	wlist_push(n, l);
}

struct ring {
	spinlock_t lock;
	spinlock_t queue_lock;
	struct wlist done;
	struct wlist pending;
};

void ring_complete(struct ring *r, struct node *n)
{
	spin_lock(&r->lock);
	wlist_push_front(n, &r->done);
	spin_unlock(&r->lock);
}

void ring_queue(struct ring *r, struct node *n)
{
	spin_lock(&r->queue_lock);
	wlist_push(n, &r->pending);
	spin_unlock(&r->queue_lock);
}

struct node *ring_take_done(struct ring *r)
{
	struct node *n = NULL;

	/* Was "races with wlist_push()": its callers share no lock. */
	spin_lock(&r->lock);
	if (!wlist_empty(&r->done))
		n = r->done.first;
	spin_unlock(&r->lock);
	return n;
}

struct node *ring_peek(struct ring *r)
{
	if (wlist_empty(&r->pending))
		return NULL;
	return r->pending.first;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'wlist::first' races with ring_queue(), which writes it with WRITE_ONCE() through wlist_push(); ring_peek() reads it with READ_ONCE() elsewhere (confidence: high, 70) [kmark-missing-read-once]
	// CHECK-MESSAGES: :32:17: note: ring_queue() writes 'r->pending.first' with WRITE_ONCE() through wlist_push(), on an object of this kind (ring)
	// CHECK-FIXES: return READ_ONCE(r->pending.first);
}
