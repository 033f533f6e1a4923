#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t read_n(int64_t dflt) {
    char buf[64];
    if (fgets(buf, sizeof buf, stdin) != NULL && buf[0] != '\n' && buf[0] != '\0') {
        return strtoll(buf, NULL, 10);
    }
    return dflt;
}

#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NB 5

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} Body;

static double sqrt_newton(double x) {
    if (x <= 0.0) {
        return 0.0;
    }
    double r = x > 1.0 ? x : 1.0;
    for (;;) {
        double nr = 0.5 * (r + x / r);
        if (nr >= r) {
            return r;
        }
        r = nr;
    }
}

static void make_bodies(Body *b) {
    b[0] = (Body){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS};
    b[1] = (Body){4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                  1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
                  -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS};
    b[2] = (Body){8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                  -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
                  2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS};
    b[3] = (Body){1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                  2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
                  -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS};
    b[4] = (Body){1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                  2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
                  -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS};
}

static void offset_momentum(Body *b) {
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < NB; i++) {
        px = px + b[i].vx * b[i].mass;
        py = py + b[i].vy * b[i].mass;
        pz = pz + b[i].vz * b[i].mass;
    }
    b[0].vx = 0.0 - px / SOLAR_MASS;
    b[0].vy = 0.0 - py / SOLAR_MASS;
    b[0].vz = 0.0 - pz / SOLAR_MASS;
}

static double energy(const Body *b) {
    double e = 0.0;
    for (int i = 0; i < NB; i++) {
        e = e + 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < NB; j++) {
            double dx = b[i].x - b[j].x;
            double dy = b[i].y - b[j].y;
            double dz = b[i].z - b[j].z;
            e = e - (b[i].mass * b[j].mass) / sqrt_newton(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(Body *b, double dt) {
    for (int i = 0; i < NB; i++) {
        for (int j = i + 1; j < NB; j++) {
            double dx = b[i].x - b[j].x;
            double dy = b[i].y - b[j].y;
            double dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt_newton(d2));
            double bm = b[i].mass * mag;
            double b2m = b[j].mass * mag;
            b[i].vx = b[i].vx - dx * b2m;
            b[i].vy = b[i].vy - dy * b2m;
            b[i].vz = b[i].vz - dz * b2m;
            b[j].vx = b[j].vx + dx * bm;
            b[j].vy = b[j].vy + dy * bm;
            b[j].vz = b[j].vz + dz * bm;
        }
    }
    for (int i = 0; i < NB; i++) {
        b[i].x = b[i].x + dt * b[i].vx;
        b[i].y = b[i].y + dt * b[i].vy;
        b[i].z = b[i].z + dt * b[i].vz;
    }
}

int main(void) {
    int64_t n = read_n(120000);
    Body bodies[NB];
    make_bodies(bodies);
    offset_momentum(bodies);
    double e0 = energy(bodies);
    for (int64_t i = 0; i < n; i++) {
        advance(bodies, 0.01);
    }
    double e1 = energy(bodies);
    printf("%lld %lld\n", (long long)(e0 * 1000000000.0), (long long)(e1 * 1000000000.0));
    return 0;
}
