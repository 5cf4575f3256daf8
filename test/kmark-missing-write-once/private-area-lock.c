// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A driver's state often lives in the allocation of a framework's object:
// `indio_dev = devm_iio_device_alloc(dev, sizeof(*st)); st = iio_priv(indio_dev);`
// (alloc_etherdev(sizeof(*priv)) and netdev_priv(), scsi_host_alloc() and
// shost_priv() alike).  A call that returns one struct given the size of
// another, kept in a local, and a pointer to the sized struct computed
// from that local says the container holds the state: a lock of the
// container, or of a struct that holds it by value (the core's private
// part around it), is the state's own lock, not another object's
// (other-object-lock.c).  A pool sized for its elements, created in one
// place and drawn from in another, says nothing, nor does a size handed
// to a call that returns no struct (kmalloc's void *).
#include <linux/lock.h>

struct device;

struct sensor_dev {
	int modes;
	void *priv;
};

/* The core's private part holds the public device by value. */
struct sensor_core {
	struct mutex mlock;
	struct sensor_dev dev;
};

struct sensor_dev *sensor_dev_alloc(struct device *parent, int sizeof_priv);
void *raw_alloc(int size);

static inline void *sensor_priv(struct sensor_dev *d)
{
	return d->priv;
}

/* The driver's state, in the device's allocation. */
struct accel_state {
	unsigned int mask;
	unsigned int rate;
};

/* Another driver's state, allocated on its own. */
struct gyro_state {
	unsigned int mask;
};

/* A pool of requests, held by value in a queue. */
struct req_pool {
	spinlock_t lock;
	int free;
};
struct req_pool *req_pool_create(int n, int elem_size);
void *req_pool_get(struct req_pool *p);

struct queue {
	struct mutex lock;
	struct req_pool reqs;
};

struct cache {
	struct req_pool *pool;
};

struct io_req {
	unsigned int state;
};

int accel_probe(struct device *parent)
{
	struct accel_state *st;
	struct sensor_dev *d = sensor_dev_alloc(parent, sizeof(*st));
	struct gyro_state *g = raw_alloc(sizeof(*g));

	if (!d || !g)
		return -1;
	st = sensor_priv(d);
	st->rate = 1;
	return 0;
}

int cache_init(struct cache *c)
{
	struct req_pool *p = req_pool_create(16, sizeof(struct io_req));

	if (!p)
		return -1;
	c->pool = p;
	return 0;
}

struct io_req *cache_get(struct cache *c)
{
	return req_pool_get(c->pool);
}

unsigned int accel_events(struct accel_state *st, struct gyro_state *g,
			  struct io_req *r)
{
	return READ_ONCE(st->mask) + READ_ONCE(g->mask) + READ_ONCE(r->state);
}

/* Under the core's lock, around the device that holds the state. */
void accel_buffer_enable(struct sensor_core *core, struct accel_state *st)
{
	mutex_lock(&core->mlock);
	st->mask = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'accel_state::mask' races with lockless reader accel_events(), which holds no lock; this store holds 'sensor_core::mlock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(st->mask, 1);
	mutex_unlock(&core->mlock);
}

/* The same lock over a state that is allocated on its own. */
void gyro_enable(struct sensor_core *core, struct gyro_state *g)
{
	mutex_lock(&core->mlock);
	g->mask = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'gyro_state::mask' races with lockless reader accel_events(), which holds no lock; this store holds 'sensor_core::mlock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :99:41: note: accel_events() reads 'g->mask' with READ_ONCE() and no lock, while this store holds 'sensor_core::mlock', a lock of another object than the gyro_state it writes
	// CHECK-FIXES: WRITE_ONCE(g->mask, 1);
	mutex_unlock(&core->mlock);
}

/* A lock of a struct that holds the pool, not the requests drawn from it. */
void queue_mark(struct queue *q, struct io_req *r)
{
	mutex_lock(&q->lock);
	r->state = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'io_req::state' races with lockless reader accel_events(), which holds no lock; this store holds 'queue::lock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :99:62: note: accel_events() reads 'r->state' with READ_ONCE() and no lock, while this store holds 'queue::lock', a lock of another object than the io_req it writes
	// CHECK-FIXES: WRITE_ONCE(r->state, 2);
	mutex_unlock(&q->lock);
}
