// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (drivers/firewire/ohci.c on 6.12, held-out: four stores to
// descriptors that context_get_descriptors() takes from a ring and clears
// with memset(), filled before they are linked in): memory a function
// clears is its own from there on, whether it clears it itself or is
// handed it by a function of the file that cleared it before returning
// it.  A slot taken from the same ring without clearing is not.
#include <linux/lock.h>

typedef unsigned long size_t;
void *memset(void *s, int c, size_t n);

struct slot {
	unsigned short ctl;
	unsigned short left;
};

struct ring {
	struct slot *base;
	int used;
};

/* The lockless reader of a slot's `left` (the device's progress). */
unsigned short ring_left(struct ring *r, int i)
{
	return READ_ONCE(r->base[i].left);
}

static struct slot *ring_take(struct ring *r, int n)
{
	struct slot *s = r->base + r->used;

	memset(s, 0, n * sizeof(*s));
	r->used += n;
	return s;
}

int ring_queue(struct ring *r, unsigned short len)
{
	struct slot *s = ring_take(r, 2);
	struct slot *p;

	if (!s)
		return -1;
	s->ctl = 1;
	s->left = len;
	p = s;
	p++;
	p->left = len;
	return 0;
}

void ring_refill(struct ring *r, int i, unsigned short len)
{
	struct slot *s = &r->base[i];

	memset(s, 0, sizeof(*s));
	s->left = len;
}

void ring_rearm(struct ring *r, int i, unsigned short len)
{
	struct slot *s = &r->base[i];

	s->left = len;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::left' races with lockless reader ring_left() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->left, len);
}

/* Cleared on one path only, or only in part: the slot may be live. */
void ring_maybe_reset(struct ring *r, int i, unsigned short len, int reset)
{
	struct slot *s = &r->base[i];

	if (reset)
		memset(s, 0, sizeof(*s));
	s->left = len;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::left' races with lockless reader ring_left() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->left, len);
}

void ring_clear_ctl(struct ring *r, int i, unsigned short len)
{
	struct slot *s = &r->base[i];

	memset(s, 0, sizeof(s->ctl));
	s->left = len;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::left' races with lockless reader ring_left() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->left, len);
}

/* Found live, or taken and cleared: not every return is a cleared slot. */
struct slot *ring_find(struct ring *r, int i);

static struct slot *ring_get(struct ring *r, int i)
{
	struct slot *s = ring_find(r, i);

	if (s)
		return s;
	s = r->base + r->used;
	memset(s, 0, sizeof(*s));
	return s;
}

void ring_touch(struct ring *r, int i, unsigned short len)
{
	struct slot *s = ring_get(r, i);

	s->left = len;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::left' races with lockless reader ring_left() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->left, len);
}
