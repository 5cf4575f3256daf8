// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A callback runs under the locks of the call that passes it only when
// the function it is passed to does nothing with it but call it or test
// it.  One that copies its parameter into a struct or chooses it by ?:
// leaves its callbacks' callers unseen: no lock.  K&R parameters are
// matched by position.
#include <linux/lock.h>

struct gadget {
	struct mutex lock;
	int a, b, c, d, e, f, h;
};

typedef int (*cb_t)(struct gadget *, void *);

void gadget_set(struct gadget *g, int v)
{
	mutex_lock(&g->lock);
	WRITE_ONCE(g->a, v);
	WRITE_ONCE(g->b, v);
	WRITE_ONCE(g->c, v);
	WRITE_ONCE(g->d, v);
	WRITE_ONCE(g->e, v);
	WRITE_ONCE(g->f, v);
	WRITE_ONCE(g->h, v);
	mutex_unlock(&g->lock);
}

struct deferred {
	cb_t fn;
	struct gadget *g;
};
void run_later(struct deferred *d);

/* Calls fn now, and hands a copy to run later. */
static int now_and_later(struct gadget *g, cb_t fn)
{
	struct deferred d = { .fn = fn, .g = g };

	run_later(&d);
	return fn(g, 0);
}

/* Calls fn now, or keeps it. */
static cb_t kept;
static int now_or_keep(struct gadget *g, cb_t fn)
{
	kept = g ? fn : 0;
	return fn(g, 0);
}

/* Only calls fn. */
static int now(struct gadget *g, cb_t fn)
{
	return fn(g, 0);
}

static int cb_a(struct gadget *g, void *p)
{
	return g->a;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'gadget::a' races with gadget_set(), which writes it with WRITE_ONCE(); no lock is visibly held in cb_a() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :19:13: note: gadget_set() writes 'g->a' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(g->a);
}

static int cb_b(struct gadget *g, void *p)
{
	return g->b;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'gadget::b' races with gadget_set(), which writes it with WRITE_ONCE(); no lock is visibly held in cb_b() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :20:13: note: gadget_set() writes 'g->b' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(g->b);
}

/* Called under the lock through now(), and nowhere else: no finding. */
static int cb_e(struct gadget *g, void *p)
{
	return g->e;
}

/* K&R: `second` is the callers' second argument, whatever the order of
 * the declarations. */
static int kr(first, second, g)
	cb_t second;
	cb_t first;
	struct gadget *g;
{
	int r;

	mutex_lock(&g->lock);
	r = first(g, 0);
	mutex_unlock(&g->lock);
	return r + second(g, 0);
}

static int kr_locked(struct gadget *g, void *p)
{
	return g->f;
}

static int kr_unlocked(struct gadget *g, void *p)
{
	return g->h;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'gadget::h' races with gadget_set(), which writes it with WRITE_ONCE(); no lock is visibly held in kr_unlocked() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :25:13: note: gadget_set() writes 'g->h' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(g->h);
}

int top(struct gadget *g)
{
	int r;

	mutex_lock(&g->lock);
	r = now_and_later(g, cb_a);
	r += now_or_keep(g, cb_b);
	r += now(g, cb_e);
	mutex_unlock(&g->lock);
	return r + kr(kr_locked, kr_unlocked, g);
}
