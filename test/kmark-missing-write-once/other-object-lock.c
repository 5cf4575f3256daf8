// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A store under a lock, with a lockless READ_ONCE() reader in the same file,
// is the field's lock-protected write when the lock is part of the object
// written: a member of a struct that holds the object's struct, or is held
// by it, by value or through one pointer either way (a wait queue's lock
// inside it, a port's lock over the rings it points to, the group a ring
// points to), or a global's, or one in a global struct.  A lock of another
// object (a device's configuration mutex held while a ring handed in is
// reset) is not shown to guard the field, and the store is weighed down:
// such stores are mostly steps of a start, stop or resume that keeps the
// readers out by other means (mlx4's rings under state_lock, dm-integrity's
// superblock under the dm device's suspend_lock).
#include <linux/lock.h>

struct waitq {
	spinlock_t lock;
	int waiters;
};

struct group;

struct ring {
	struct waitq wq;
	struct group *grp;
	spinlock_t lock;
	unsigned int head;
	unsigned int tail;
	unsigned int size;
	unsigned int gen;
};

struct group {
	spinlock_t lock;
};

struct cfg {
	struct mutex state_lock;
};

struct port {
	spinlock_t lock;
	struct ring *rings;
};

struct pool {
	spinlock_t lock;
	struct ring spare;
};

struct host {
	spinlock_t lock;
	struct port *port;
};

static spinlock_t ring_table_lock;

static struct {
	spinlock_t lock;
	int users;
} ring_state;

unsigned int ring_used(struct ring *r)
{
	return READ_ONCE(r->head) - READ_ONCE(r->tail) + READ_ONCE(r->size) +
	       READ_ONCE(r->gen);
}

/* The configuration mutex of another object. */
void ring_activate(struct cfg *c, struct ring *r)
{
	mutex_lock(&c->state_lock);
	r->head = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::head' races with lockless reader ring_used(), which holds no lock; this store holds 'cfg::state_lock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :64:19: note: ring_used() reads 'r->head' with READ_ONCE() and no lock, while this store holds 'cfg::state_lock', a lock of another object than the ring it writes
	// CHECK-FIXES: WRITE_ONCE(r->head, 0);
	mutex_unlock(&c->state_lock);
}

/* The ring's own lock. */
void ring_consume(struct ring *r)
{
	spin_lock(&r->lock);
	r->tail = r->tail + 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::tail' races with lockless reader ring_used(), which holds no lock; this store holds 'ring::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->tail, r->tail + 1);
	spin_unlock(&r->lock);
}

/* The lock of a struct the ring holds by value. */
void ring_wait_resize(struct ring *r, unsigned int n)
{
	spin_lock(&r->wq.lock);
	r->size = n;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::size' races with lockless reader ring_used(), which holds no lock; this store holds 'waitq::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->size, n);
	spin_unlock(&r->wq.lock);
}

/* The lock of the port, which points to its rings. */
void port_bump_gen(struct port *p, int i)
{
	spin_lock(&p->lock);
	p->rings[i].gen = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::gen' races with lockless reader ring_used(), which holds no lock; this store holds 'port::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->rings[i].gen, 1);
	spin_unlock(&p->lock);
}

/* A global lock: whose it is, no struct tells. */
void ring_table_reset(struct ring *r)
{
	spin_lock(&ring_table_lock);
	r->gen = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::gen' races with lockless reader ring_used(), which holds no lock; this store holds 'ring_table_lock@{{.*}}' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->gen, 2);
	spin_unlock(&ring_table_lock);
}

/* The lock of a struct that may hold the ring by value. */
void pool_resize(struct pool *pl, struct ring *r, unsigned int n)
{
	spin_lock(&pl->lock);
	r->size = n;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::size' races with lockless reader ring_used(), which holds no lock; this store holds 'pool::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->size, n);
	spin_unlock(&pl->lock);
}

/* Two pointers away: the host points to a port, which points to rings. */
void host_reset_ring(struct host *h, struct ring *r)
{
	spin_lock(&h->lock);
	r->tail = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::tail' races with lockless reader ring_used(), which holds no lock; this store holds 'host::lock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->tail, 0);
	spin_unlock(&h->lock);
}

/* A lock in a global struct is a global's. */
void ring_state_reset(struct ring *r)
{
	spin_lock(&ring_state.lock);
	r->head = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::head' races with lockless reader ring_used(), which holds no lock; this store holds '(anonymous at {{.*}})::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->head, 1);
	spin_unlock(&ring_state.lock);
}

/* The lock of the group the ring points to. */
void group_bump(struct group *g, struct ring *r)
{
	spin_lock(&g->lock);
	r->gen = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'ring::gen' races with lockless reader ring_used(), which holds no lock; this store holds 'group::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(r->gen, 3);
	spin_unlock(&g->lock);
}
