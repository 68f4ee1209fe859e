# mlockbench plot, standalone: in this folder, run: gnuplot teardown-exit-shmem-mlock-32M-plain0.gp
# Writes teardown-exit-shmem-mlock-32M-plain0.png and teardown-exit-shmem-mlock-32M-plain0.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'teardown-exit-shmem-mlock-32M-plain0.png'
set title 'exit: teardown vs processes - shmem, mlock, 32M per process, 0 plain mappers'."\n".'debian-5.10 (boot-1) vs debian-5.10 (boot-2) vs debian-5.10 (boot-3) vs'."\n".'debian-6.1 (boot-1) vs debian-6.1 (boot-2) vs debian-6.1 (boot-3)'
set grid
set border 3
set tics nomirror
set logscale xy
set xlabel "mlocking processes P (log scale)"
set ylabel "teardown, release to last locker done (s, log scale)"
set key top left Left reverse box opaque
set format y '%g'
set xtics (1, 2, 4, 8, 16)
set xrange [0.714286:22.4]
plot 'teardown-exit-shmem-mlock-32M-plain0.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'debian-5.10 (boot-1): b = 0.65 [0.49, 0.82], R² = 0.981', \
     0.0273097*x**0.654737 with lines dt 2 lw 1.5 lc rgb '#1f77b4' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#d62728' title 'debian-5.10 (boot-2): b = 0.64 [0.49, 0.80], R² = 0.983', \
     0.0278333*x**0.644666 with lines dt 2 lw 1.5 lc rgb '#d62728' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#2ca02c' title 'debian-5.10 (boot-3): b = 0.67 [0.49, 0.86], R² = 0.978', \
     0.0253953*x**0.673872 with lines dt 2 lw 1.5 lc rgb '#2ca02c' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#9467bd' title 'debian-6.1 (boot-1): b = 0.52 [0.23, 0.81], R² = 0.917', \
     0.0259038*x**0.521048 with lines dt 2 lw 1.5 lc rgb '#9467bd' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#ff7f0e' title 'debian-6.1 (boot-2): b = 0.49 [0.32, 0.66], R² = 0.966', \
     0.0291596*x**0.487913 with lines dt 2 lw 1.5 lc rgb '#ff7f0e' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 5 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#8c564b' title 'debian-6.1 (boot-3): b = 0.49 [0.32, 0.65], R² = 0.966', \
     0.0276949*x**0.485633 with lines dt 2 lw 1.5 lc rgb '#8c564b' notitle, \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title 'dashed: fitted c·P^b (least squares, log-log)'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'teardown-exit-shmem-mlock-32M-plain0.svg'
replot
unset output
